-- Names a KB id that does not exist: kb check must refuse it.
return {
  id = "TAGS-BAD", title = "bad", kind = "generic",
  references = { { kind = "blog", title = "x", url = "https://example.invalid/" } },
  tags = { { tag = "Proc", drivers = { "ntoskrnl.exe" }, leaks_through = { "PT-4242" } } },
  author = "tests", date = "2026-11-26",
}
