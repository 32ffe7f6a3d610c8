-- Windows NT 4.0 Terminal Server Edition with Citrix server-to-server
-- shadowing: Tdpipe.sys leaks MDLs ("Mdl ", non-paged).  Seed case 55
-- (kb-seed-3.md).  Q315817.
return {
  id = "PT-0037",
  title = "NT 4.0 Terminal Server Tdpipe.sys non-paged pool leak (tag \"Mdl \") during server-to-server shadowing (Q315817)",
  vendor = "Microsoft",
  product = "Windows NT 4.0 Terminal Server Edition (with Citrix shadowing)",
  drivers = { "Tdpipe.sys" },
  tags = { "Mdl " },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0 Terminal Server Edition" },
  },
  severity = "high",
  symptoms = "Non-paged pool leaks during server-to-server shadowing, worse with intensive graphics, ending in " ..
             "STOP 0x00000041; \"The pool tag for the pool that is being allocated is Mdl\".",
  workaround = "Install the hotfix dated 07-Jan-2002 (Tdpipe.sys 10,360 bytes, with Tdasync, Tdipx, Tdnetb, Tdspx " ..
               "and Tdtcp); it requires TSE SP6a.",
  confidence = "high",
  notes = "Affected: NT Server 4.0 TSE, SP4 to SP6.  The hotfix is given by date and size, not a file version, so " ..
          "no fixed_in and no range.  \"Mdl \" is a generic kernel tag.  Build 1381 is the NT 4.0 build (general " ..
          "knowledge).",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q315817: Memory Leak When You Are Running Server-to-Server Shadowing (jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/e92bde762b1e21a563dceee279473b0a44eb8075/kb/315/Q315817/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
