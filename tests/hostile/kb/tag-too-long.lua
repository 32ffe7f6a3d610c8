-- The smallest valid KB entry, so that the tag-fact file beside it is what fails.
return {
  id = "PT-9001", title = "minimal", vendor = "Contoso", tags = { "CtNtCtNt" }, drivers = { "ctsnet.sys" },
  severity = "low", author = "tests", date = "2026-11-26",
  references = { { kind = "blog", title = "x", url = "https://example.invalid/" } },
}
