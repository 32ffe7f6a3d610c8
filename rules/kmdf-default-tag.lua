-- kmdf-default-tag: a suspect tag that is the KMDF default pool tag of a
-- driver.  A KMDF driver that sets no pool tag gets the first four
-- characters of its service name, after a leading "WDF"; with fewer than
-- four left, "FxDr" (WDF_DRIVER_CONFIG.DriverPoolTag).  The service name
-- is usually the file name without ".sys".  Such a driver holds no tag
-- bytes, so a byte scan cannot find it.
return {
  id = "kmdf-default-tag",
  title = "A suspect tag is the KMDF default tag of a driver",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local function kmdf_tag(file)
      local service = file:gsub("%.[sS][yY][sS]$", "")
      if service:sub(1, 3):upper() == "WDF" then service = service:sub(4) end
      if #service < 4 then return "FxDr" end
      return service:sub(1, 4)
    end

    local drivers = {}
    for _, d in ipairs(ctx.drivers) do drivers[d.path] = d end

    local out = {}
    for _, s in ipairs(ctx.suspects) do
      if s.tag ~= "FxDr" then
        for _, f in ipairs(ctx.driver_files) do
          if kmdf_tag(f.name) == s.tag then
            out[#out + 1] = {
              level = s.share >= 0.25 and "likely" or "suspect",
              title = string.format("%s is the KMDF default tag of %s", s.tag, f.name),
              explanation = string.format(
                "KMDF tags a driver's allocations with the first four characters of its " ..
                "service name when the driver sets no tag of its own; %s gives %s. %s is %d " ..
                "bytes (%.1f%% of its pool).", f.name, s.tag, s.tag, s.bytes, s.share * 100),
              tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
              driver = drivers[f.path],
              action = "Check the service name in HKLM\\SYSTEM\\CurrentControlSet\\Services, " ..
                       "then update or remove " .. f.name .. " and watch " .. s.tag .. ".",
            }
          end
        end
      end
    end
    return out
  end,
}
