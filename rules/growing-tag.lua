-- growing-tag: a third-party tag that grows steadily across snapshots.
--
-- `likely` when the series says the growth is steady (see the thresholds in
-- docs/pool.md); a leak is growth, whatever the size today.
return {
  id = "growing-tag",
  title = "A tag grows steadily across snapshots",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local out = {}
    for _, s in ipairs(ctx.suspects) do
      local rate = s.growth_bytes_per_hour
      if not s.generic and s.steady and rate ~= nil and rate > 0 then
        local c = ctx.candidates(s.tag)[1]
        out[#out + 1] = {
          level = "likely",
          title = string.format("%s grows steadily: %.1f MiB per hour", s.tag, rate / 1048576),
          explanation = string.format(
            "%s (%s) rose in the captured series at %.0f bytes per hour to %d bytes%s.",
            s.tag, s.pool, rate, s.bytes, c and (", held by " .. c.driver.name) or ""),
          tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
          driver = c and c.driver or nil,
          action = "Keep capturing (poolmon -n on a schedule) and plan a reboot before the pool "
                   .. "runs out; " .. (c and ("check " .. c.driver.name .. "'s vendor for a fix.")
                                         or "find the owner with pooltriage scan."),
        }
      end
    end
    return out
  end,
}
