-- virtio-win NetKVM (netkvm.sys) leaks MDLs ("Mdl ") on virtio NIC hot-unplug
-- in Windows Server 2008 R2 / 2012 guests.  Seed case 19 (kb-seed-2.md).
return {
  id = "PT-0018",
  title = "virtio-win NetKVM netkvm.sys leaks MDLs (tag \"Mdl \") on virtio NIC hot-unplug",
  vendor = "virtio-win",
  product = "NetKVM (KVM guest network driver)",
  drivers = { "netkvm.sys" },
  tags = { "Mdl " },
  pool = "nonpaged",
  os = {
    { nt = "6.1", build_min = 7600, build_max = 7601, name = "Windows Server 2008 R2 (guest)" },
    { nt = "6.2", build_min = 9200, build_max = 9200, name = "Windows Server 2012 (guest)" },
  },
  severity = "medium",
  symptoms = "Adding and removing a virtio NIC every 2 s for 2 hours: \"Mdl \" allocated 2,492,040 times and freed " ..
             "176 times; guest memory 700 MB -> 1.11 GB.",
  workaround = "Avoid repeated NIC hot-plug on affected guests; the reporter's patch calls " ..
               "ParaNdis_UnbindRxBufferFromPacket in ParaNdis_FreeRxBufferDescriptor.  Update the virtio-win drivers.",
  confidence = "medium",
  notes = "\"Mdl \" is a generic kernel tag, so its growth alone does not point at netkvm.sys.  The reporter names " ..
          "the tag only; non-paged is where MDLs live.  The driver version is not stated (2016 master), so no " ..
          "version range, and no fixed version is stated.",
  references = {
    { kind = "issue", title = "virtio-win/kvm-guest-drivers-windows issue #73 (2016-07-29: MDLs leaked on NIC hot-unplug)",
      url = "https://github.com/virtio-win/kvm-guest-drivers-windows/issues/73" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
