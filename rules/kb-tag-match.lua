-- kb-tag-match: the knowledge base consulted by tag alone.
--
-- A large or growing third-party tag that a KB entry lists, where the
-- known-issue rule cannot match a driver:
--   * no file holds the tag (often: no driver folder was given, a poolmon
--     screen is all there is): `likely` when no folder was given, `suspect`
--     when the folders searched hold no file with the tag; the finding names
--     every entry listing the tag and says what to run to confirm;
--   * a generic kernel tag ("Pp  ", "Mdl ") only for entries whose OS builds
--     include the host's, and never above `suspect`;
--   * the driver the entry names holds it, but at or past the entry's fix:
--     `info`, saying the version is outside every affected range, and
--     still citing the entry.
return {
  id = "kb-tag-match",
  title = "A suspect tag is listed by a known issue",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local out = {}
    local looked = table.concat(ctx.searched, ", ")

    for _, s in ipairs(ctx.suspects) do
      local growing = s.steady or (s.growth_bytes_per_hour ~= nil and s.growth_bytes_per_hour > 0)
      local large = s.share >= 0.10 and s.bytes >= 16 * 1048576
      if not s.kernel_mapped and (large or growing) then
        -- a generic kernel tag ("Pp  ", "Mdl ") is used by many drivers: an
        -- entry that lists one is cited only on the OS builds it names
        local entries = {}
        local build = ctx.host.os.build
        for _, e in ipairs(ctx.kb.lookup{ tag = s.tag, build = build }) do
          if e.tag_match and (not s.generic or e.os_match == true) then
            entries[#entries + 1] = e
          end
        end
        local candidates = ctx.candidates(s.tag)
        if #entries > 0 and #candidates == 0 then
          local names = {}
          for _, e in ipairs(entries) do
            names[#names + 1] = string.format("%s (%s; driver %s)", e.id, e.title,
                                              table.concat(e.drivers, ", "))
          end
          local e = entries[1]
          -- the finding's kb is the first entry, whose references every
          -- report lists; the others' references go into the explanation
          local more = {}
          for i = 2, #entries do
            for _, r in ipairs(entries[i].references) do
              local link = r.url or r.archived_url
              if link then
                more[#more + 1] = string.format("%s: %s <%s>%s", entries[i].id, r.title, link,
                  (r.archived_url and r.url) and (" (archived: <" .. r.archived_url .. ">)") or "")
              end
            end
          end
          local where = #ctx.searched > 0
            and string.format("No file in %s holds %s, so the driver is not confirmed.", looked, s.tag)
            or "No driver folder was given, so no driver was checked."
          out[#out + 1] = {
            level = (#ctx.searched > 0 or s.generic) and "suspect" or "likely",
            title = string.format("%s is a %stag of known issue %s (%s); %s", s.tag,
                                  s.generic and "generic kernel " or "", e.id, e.title,
                                  #ctx.searched > 0 and "no file searched holds it"
                                  or "no driver folder was given to confirm it"),
            explanation = string.format("The knowledge base lists tag %s under %s%s. %s%s",
                                        s.tag, table.concat(names, "; "),
                                        s.generic and (", for this host's OS build; many drivers "
                                          .. "use this generic tag, so it is one possible cause") or "",
                                        where,
                                        #more > 0 and (" References of the other entries: "
                                          .. table.concat(more, "; ") .. ".") or ""),
            tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
            kb = e,
            action = string.format(
              "Confirm the driver: run again with --drivers DIR (a copy of C:\\Windows\\System32\\drivers) " ..
              "or --root DIR (a mounted or copied Windows volume), or run 'pooltriage triage --live' " ..
              "on the host. Then: %s", e.workaround or ("see " .. e.id .. ".")),
          }
        elseif #entries > 0 then
          for _, c in ipairs(candidates) do
            local d = c.driver
            -- the KB compares in the entry's own version space (numeric,
            -- FileVersion or ProductVersion string, or a release scheme) and
            -- says which field it used; a version it cannot place is no answer
            local hits = ctx.kb.lookup{ tag = s.tag, driver = d.name,
                                        file_version = d.file_version,
                                        product_version = d.product_version,
                                        file_version_numeric = d.file_version_numeric }
            for _, e in ipairs(hits) do
              if e.tag_match and e.driver_match and e.fixed == true then
                out[#out + 1] = {
                  level = "info",
                  title = string.format("%s %s is outside every affected range of %s (fixed in %s)",
                                        d.name, e.version_field, e.id, e.fixed_in),
                  explanation = string.format(
                    "%s lists %s and %s, but %s %s is at or past its fix (%s): " ..
                    "this is not that known issue, though the entry may still help.",
                    e.id, s.tag, d.name, d.name, e.version_field, e.fixed_in),
                  tag = s.tag, tags = { s.tag }, pool = s.pool, bytes = s.bytes, share = s.share,
                  driver = d, kb = e, kb_outside_range = true,
                }
              end
            end
          end
        end
      end
    end
    return out
  end,
}
