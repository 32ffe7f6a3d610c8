-- The smallest valid KB entry, so that the tag-fact file beside it is what fails.
return {
  id = "PT-9001", title = string.rep('t', 20000) .. "minimal", vendor = "Contoso", drivers = { "ctsnet.sys" },
  severity = "low", author = "tests", date = "2026-11-26",
  references = { { kind = "blog", title = "x", url = "https://example.invalid/" } },
}
