-- known-issue: a suspect tag held by a driver that a KB entry names.
--
-- One finding per KB entry and driver, however many of the entry's tags
-- are among the suspects: `tag` is the largest of them and `tags` lists all.
-- Level `known` when the driver's file version is in an affected range and
-- the OS build matches (or is unknown); `likely` when the version is outside
-- the listed ranges but not at or past the fixed-in version.
return {
  id = "known-issue",
  title = "Known pool leak from the knowledge base",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local findings, by_key = {}, {}
    local build = ctx.host.os.build

    local function fixed(entry, version)
      return entry.fixed_in ~= nil and version ~= nil
         and ctx.version_cmp(version, entry.fixed_in) >= 0
    end

    for _, s in ipairs(ctx.suspects) do
      for _, c in ipairs(ctx.candidates(s.tag)) do
        local d = c.driver
        local version = d.file_version_numeric or d.file_version
        local hits = ctx.kb.lookup{ tag = s.tag, driver = d.name,
                                    version = version, build = build }
        for _, e in ipairs(hits) do
          if e.tag_match and e.driver_match and not fixed(e, version) then
            local level
            if e.version_match == true and e.os_match ~= false then
              level = "known"
            else
              level = "likely"
            end
            local key = e.id .. "\0" .. d.path
            local f = by_key[key]
            if f == nil then
              f = {
                level = level, title = e.title, kb = e, driver = d,
                tag = s.tag, tags = {}, pool = s.pool, bytes = s.bytes,
                share = s.share, range_id = e.range_id, action = e.workaround,
                kb_outside_range = e.version_match == false,
              }
              by_key[key] = f
              findings[#findings + 1] = f
            end
            f.tags[#f.tags + 1] = s.tag
            if s.bytes > f.bytes then
              f.tag, f.bytes, f.pool, f.share = s.tag, s.bytes, s.pool, s.share
            end
          end
        end
      end
    end

    -- the entry's other tags that the capture shows belong to the same problem
    for _, f in ipairs(findings) do
      local seen = {}
      for _, t in ipairs(f.tags) do seen[t] = true end
      for _, t in ipairs(f.kb.tags) do
        for _, row in ipairs(ctx.pool(t)) do
          if not seen[t] and row.bytes > 0 then
            seen[t] = true
            f.tags[#f.tags + 1] = t
          end
        end
      end
    end

    for _, f in ipairs(findings) do
      local d = f.driver
      local why = string.format(
        "%s holds %s (%s); %s file version %s", d.name, table.concat(f.tags, ", "),
        f.pool, d.name, d.file_version or d.file_version_numeric or "unknown")
      if f.level == "known" then
        why = why .. string.format(" is in the affected range %s of %s", f.range_id, f.kb.id)
      else
        why = why .. string.format(" is not in an affected range of %s, but the tags " ..
                                   "and driver match and no fix is known to cover it", f.kb.id)
      end
      if build ~= nil then
        why = why .. string.format("; OS build %d", build)
      end
      f.explanation = why .. "."
    end
    return findings
  end,
}
