-- generic-tag-growing: a tag the kernel itself allocates with (Proc, Strg,
-- IoWI, File, ...) is growing.  The kernel is rarely the culprit: name the
-- drivers that most likely drive it.  Those are the drivers of KB entries
-- that list the tag (present on this host, or not), and third-party
-- drivers whose own tags grow alongside it.
return {
  id = "generic-tag-growing",
  title = "A generic kernel tag grows: name the drivers behind it",
  author = "pooltriage maintainers",
  applies_to = { "generic" },

  evaluate = function(ctx)
    local present = {}
    for _, f in ipairs(ctx.driver_files) do present[f.name:lower()] = f end

    local out = {}
    for _, s in ipairs(ctx.suspects) do
      local rate = s.growth_bytes_per_hour
      if s.generic and (s.steady or (rate ~= nil and rate > 0)) then
        local names, best = {}, nil
        -- KB entries whose leak shows through this tag
        for _, e in ipairs(ctx.kb.lookup{ tag = s.tag }) do
          if e.tag_match then
            for _, d in ipairs(e.drivers) do
              if d:lower() ~= "ntoskrnl.exe" then
                local here = present[d:lower()] ~= nil
                names[#names + 1] = string.format("%s (%s%s)", d, e.id, here and ", present" or "")
                if here and best == nil then best = e end
              end
            end
          end
        end
        -- third-party drivers whose own tags grow alongside
        for _, o in ipairs(ctx.suspects) do
          local orate = o.growth_bytes_per_hour
          if not o.generic and orate ~= nil and orate > 0 then
            local c = ctx.candidates(o.tag)[1]
            if c then
              names[#names + 1] = string.format("%s (its tag %s grows too)", c.driver.name, o.tag)
            end
          end
        end
        local who = #names > 0 and table.concat(names, ", ") or "none identified"
        out[#out + 1] = {
          level = best and "likely" or "suspect",
          title = string.format("Generic kernel tag %s grows; likely drivers: %s", s.tag, who),
          explanation = string.format(
            "%s is allocated by the kernel on behalf of drivers, so its growth points at a " ..
            "driver rather than at Windows itself.%s", s.tag,
            best and (" " .. best.id .. " (" .. best.title .. ") names a driver present here.") or ""),
          tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
          kb = best,
          action = best and best.workaround or
                   "Capture poolmon over time and compare the third-party tags that grow with it; " ..
                   "remove or update the suspected drivers one at a time.",
        }
      end
    end
    return out
  end,
}
