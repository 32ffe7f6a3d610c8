-- known-issue: a suspect tag held by a driver that a KB entry names (with
-- the tag among the entry's tags, or an entry that names no tag).
--
-- One finding per KB entry and driver, however many of the entry's tags
-- are among the suspects: `tag` is the largest of them and `tags` lists all.
-- Level `known` when the driver's version is in an affected range and the
-- OS build matches (or is unknown); `likely` when the version is outside the
-- listed ranges but not at or past the fixed-in version; `info` when it is
-- at or past the fix, to say why a leak with the entry's tags is not that
-- known issue.  Versions compare in the space the entry names (its numeric
-- file version, FileVersion or ProductVersion string, or a vendor release
-- scheme): the KB does that and says which field it used.
return {
  id = "known-issue",
  title = "Known pool leak from the knowledge base",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local findings, by_key, field_of, rank_of = {}, {}, {}, {}
    local build = ctx.host.os.build

    for _, s in ipairs(ctx.suspects) do
      for _, c in ipairs(ctx.candidates(s.tag)) do
        local d = c.driver
        local hits = ctx.kb.lookup{ tag = s.tag, driver = d.name,
                                    file_version = d.file_version,
                                    product_version = d.product_version,
                                    file_version_numeric = d.file_version_numeric,
                                    build = build }
        for _, e in ipairs(hits) do
          -- an entry that lists no tag (no source names one) matches on its
          -- driver holding the suspect tag, unless the driver's version is
          -- outside the entry's ranges or the host's OS build is outside the
          -- entry's OS builds: then nothing but the driver's name ties them
          -- (ndis.sys on Server 2022 is not an NT 4.0 ndis.sys leak)
          local untagged = #e.tags == 0 and e.os_match ~= false and
                           (e.version_match ~= false or e.fixed == true)
          if e.driver_match and (e.tag_match or untagged) then
            local level
            if e.fixed == true then
              level = "info"
            elseif e.version_match == true and e.os_match ~= false then
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
              field_of[f] = e.version_field
              -- several entries may name the same driver and tag; the engine
              -- keeps the first of equal level, so the best match goes first
              rank_of[f] = (e.tag_match and 4 or 0) + (e.os_match == true and 2 or 0) +
                           (e.version_match == true and 1 or 0)
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
      local version = field_of[f]
      if version == nil then
        version = "version (unknown: " .. (d.file_version or d.file_version_numeric or
                  "no version resource") .. " is not in the entry's version space)"
      end
      local why = string.format("%s holds %s (%s); %s %s", d.name,
                                table.concat(f.tags, ", "), f.pool, d.name, version)
      if f.level == "known" then
        why = why .. string.format(" is in the affected range %s of %s", f.range_id, f.kb.id)
      elseif f.level == "info" then
        why = why .. string.format(" is at or past the fix (%s) of %s, so this is not " ..
                                   "that known leak", f.kb.fixed_in, f.kb.id)
        f.title = string.format("%s %s is at or past the fix (%s) of %s: not that known leak",
                                d.name, version, f.kb.fixed_in, f.kb.id)
        f.action = "Look for another cause: the driver already has the fix of " .. f.kb.id .. "."
      else
        why = why .. string.format(" is not in an affected range of %s, but the tags " ..
                                   "and driver match and no fix is known to cover it", f.kb.id)
      end
      if build ~= nil then
        why = why .. string.format("; OS build %d", build)
      end
      f.explanation = why .. "."
    end
    local order = { known = 3, likely = 2, info = 1 }
    table.sort(findings, function(a, b)
      if a.level ~= b.level then return order[a.level] > order[b.level] end
      if rank_of[a] ~= rank_of[b] then return rank_of[a] > rank_of[b] end
      if a.kb.id ~= b.kb.id then return a.kb.id < b.kb.id end
      return a.driver.path < b.driver.path
    end)
    return findings
  end,
}
