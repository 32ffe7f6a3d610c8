-- dominant-tag: one third-party tag holds a large share of a pool.
--
-- `likely` at half of its pool or more, `suspect` from a quarter, and only
-- from 16 MiB: a share of a small or partial listing (a cut-off !poolused
-- with no totals) is not a leak.  Generic kernel tags are left to
-- generic-tag-growing, and tags held by a Microsoft driver are not
-- third-party.
return {
  id = "dominant-tag",
  title = "A third-party tag dominates non-paged or paged pool",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local out = {}
    for _, s in ipairs(ctx.suspects) do
      local c = ctx.candidates(s.tag)[1]
      local company = c and c.driver.company or ""
      -- kernel_mapped: the capture's own mapping ("nt!cm") names the kernel
      local microsoft = company:find("Microsoft", 1, true) ~= nil or s.kernel_mapped
      if not s.generic and not microsoft and s.share >= 0.25 and s.bytes >= 16 * 1048576 then
        local pool = s.pool == "paged" and "paged pool" or "non-paged pool"
        local growth_known = s.growth_bytes_per_hour ~= nil
        local who = c and (c.driver.name .. " holds it")
          or (#ctx.searched > 0 and "no driver found holds it"
              or "no driver folder was given, so no driver was checked")
        out[#out + 1] = {
          level = s.share >= 0.5 and "likely" or "suspect",
          title = string.format("%s holds %.0f%% of %s", s.tag, s.share * 100, pool),
          explanation = string.format("%s is %d bytes, %.1f%% of %s; %s.", s.tag, s.bytes,
                                      s.share * 100, pool, who),
          tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
          driver = c and c.driver or nil,
          action = (c and ("Ask the vendor of " .. c.driver.name .. " about a pool leak fix; ")
                        or ("Find the owner of " .. s.tag .. ": pooltriage scan DRIVERS --tag '"
                            .. s.tag .. "'; "))
                   .. (growth_known and "plan a reboot before the pool runs out."
                       or ("confirm growth with a series of captures (poolmon -n at intervals, "
                           .. "or pooltriage pool --live --every SECONDS on Windows).")),
        }
      end
    end
    return out
  end,
}
