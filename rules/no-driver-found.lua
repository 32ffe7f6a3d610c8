-- no-driver-found: a large (10 % of its pool and 16 MiB) or growing
-- third-party tag that no scanned file holds.  Say where pooltriage looked
-- and what to collect next.
return {
  id = "no-driver-found",
  title = "No driver found for a suspect tag",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local out = {}
    local looked = table.concat(ctx.searched, ", ")
    for _, s in ipairs(ctx.suspects) do
      local growing = s.steady or (s.growth_bytes_per_hour ~= nil and s.growth_bytes_per_hour > 0)
      local large = s.share >= 0.10 and s.bytes >= 16 * 1048576
      -- a tag the capture maps to the kernel is not looked for in drivers/
      if not s.generic and not s.kernel_mapped and (large or growing)
         and #ctx.candidates(s.tag) == 0 then
        local hints = {}
        if s.mapped_driver ~= nil then hints[#hints + 1] = "poolmon maps it to " .. s.mapped_driver end
        for _, f in ipairs(ctx.kb.tag_facts(s.tag)) do
          hints[#hints + 1] = string.format("%s tag of %s", f.vendor or f.kind,
                                            table.concat(f.drivers, ", "))
        end
        out[#out + 1] = {
          level = s.share >= 0.25 and "suspect" or "info",
          title = string.format("No driver found for %s (%.1f%% of %s pool)", s.tag,
                                s.share * 100, s.pool == "paged" and "paged" or "non-paged"),
          explanation = (#ctx.searched > 0
                           and string.format("No file in %s holds the tag %s.", looked, s.tag)
                           or string.format("No driver folder was given, so no file was searched for %s.", s.tag))
                        .. (#hints > 0 and (" Hints: " .. table.concat(hints, "; ") .. ".") or ""),
          tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
          action = "Copy C:\\Windows\\System32\\drivers and C:\\Windows\\System32\\DriverStore\\FileRepository " ..
                   "from the host and run again with --root or --drivers; on the host, " ..
                   "'findstr /m /l /s " .. s.tag .. " *.sys' in System32\\drivers finds it too; " ..
                   "pooltag.txt from the Debugging Tools (--pooltag) may name the owner.",
        }
      end
    end
    return out
  end,
}
