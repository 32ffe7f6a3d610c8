-- Windows Server 2022 domain controllers: non-paged pool grows under "Icp "
-- until the DC stops answering; Microsoft Support named Defender's SenseNDR
-- component as the cause.  Seed case 47 (kb-seed-3.md).  No driver file is
-- stated, so the entry is found by its tag alone.
return {
  id = "PT-0038",
  title = "Windows Server 2022 domain controllers: non-paged pool growth under tag \"Icp \" (Defender SenseNDR)",
  vendor = "Microsoft",
  product = "Microsoft Defender (SenseNDR) on Windows Server 2022",
  drivers = {},
  tags = { "Icp" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 20348, build_max = 20348, name = "Windows Server 2022" },
  },
  severity = "high",
  symptoms = "Non-paged pool grows under Icp until the domain controller is unresponsive in 3 to 5 days, so " ..
             "it needs several reboots a week.  It started on 2024-09-18 on build 20348.2700 (KB5042881) without " ..
             "an OS change; a Server 2019 DC in the same place was not affected.  The poster notes Icp \"seems to " ..
             "be related to SMB traffic\".",
  workaround = "Install the October 2024 updates (the thread: it \"should be fixed in October Patch Tuesday " ..
               "updates\"; no KB number is given); until then reboot the domain controllers before non-paged " ..
               "pool runs out.",
  confidence = "low",
  notes = "One community Q&A thread (answers 2024-09-25 to 2024-10-07) relays the cause: \"Possible cause is the " ..
          "defender component. SenseNDR.exe\", later \"Confirmed known issue by MS Support. Mem leak caused by " ..
          "SenseNDR\"; no Microsoft KB article is cited, hence confidence low.  The tag is written \"Icp\" (three " ..
          "characters; poolmon shows it padded).  No driver file is stated (SenseNDR.exe is a user-mode " ..
          "component), so no driver is listed and the entry matches by tag only.  The fix is a monthly update " ..
          "with no KB number or file version, so no fixed_in; the affected build is 20348.2700 on an Azure VM.  " ..
          "Severity high is our judgement (domain controllers unresponsive within days).",
  references = {
    { kind = "forum", title = "Microsoft Q&A: Memory leak on Win2022 domain controllers, Icp nonpaged (2024-09 to 2024-10; SenseNDR)",
      url = "https://learn.microsoft.com/en-us/answers/questions/2189851/memory-leak-on-win2022-domain-controllers-icp-nonp" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
