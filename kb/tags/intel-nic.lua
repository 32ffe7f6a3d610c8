-- Pool tags of Intel Ethernet (NIC) drivers, by driver family.  Not leaks:
-- facts that let the rules name the Intel driver behind one of these tags.
-- Source: intel/mfd-network-adapter, poolmon_const.py (kb-seed.md).
return {
  id = "TAGS-INTEL-NIC",
  title = "Intel Ethernet driver pool tags",
  kind = "vendor",
  references = {
    { kind = "issue", title = "intel/mfd-network-adapter: poolmon_const.py (pool tags per Intel NIC driver family)",
      url = "https://github.com/intel/mfd-network-adapter" },
  },
  tags = {
    { tag = "iGig", drivers = { "e1e*.sys" }, vendor = "Intel", note = "e1e family" },
    { tag = "IE1Q", drivers = { "e1q*.sys", "e1r*.sys", "e1k*.sys", "e1s*.sys", "e1i*.sys" }, vendor = "Intel",
      note = "e1q, e1r, e1k, e1s and e1i families" },
    { tag = "I40E", drivers = { "i40e*.sys" }, vendor = "Intel", note = "i40e family" },
    { tag = "IXGB", drivers = { "ixgb*.sys" }, vendor = "Intel",
      note = "ixgb and ixgbn families (ixgb* covers ixgbn*)" },
    { tag = "FM10", drivers = { "fm10k*.sys" }, vendor = "Intel", note = "fm10k family" },
    { tag = "ICE ", drivers = { "icea*.sys", "scea*.sys" }, vendor = "Intel",
      note = "icea and scea families; the source gives the 3-character tag ICE, shown by poolmon padded as \"ICE \"" },
    { tag = "ICEX", drivers = { "icex*.sys" }, vendor = "Intel", note = "icex family" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
