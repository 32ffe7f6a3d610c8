-- PT-0038 names no driver (SenseNDR.exe is user mode): a poolmon screen of a
-- domain controller where "Icp " dominates non-paged pool cites it by tag.
return {
  facts = {
    host = { os = "2022" },
    suspects = { { tag = "Icp", pool = "nonpaged", bytes = 3000000000, share = 0.6 } },
  },
  expect = { { level = "likely", tag = "Icp", kb = "PT-0038", title = "known issue PT-0038" } },
}
