-- kb-tag-match: the knowledge base consulted by tag alone.
--
-- A large or growing third-party tag that a KB entry lists, where the
-- known-issue rule cannot match a driver:
--   * no file holds the tag (often: no driver folder was given, a poolmon
--     screen is all there is): `likely` when no folder was given, `suspect`
--     when the folders searched hold no file with the tag; the finding names
--     every entry listing the tag and says what to run to confirm;
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
      if not s.generic and not s.kernel_mapped and (large or growing) then
        local entries = {}
        for _, e in ipairs(ctx.kb.lookup{ tag = s.tag }) do
          if e.tag_match then entries[#entries + 1] = e end
        end
        local candidates = ctx.candidates(s.tag)
        if #entries > 0 and #candidates == 0 then
          local names = {}
          for _, e in ipairs(entries) do
            names[#names + 1] = string.format("%s (%s; driver %s)", e.id, e.title,
                                              table.concat(e.drivers, ", "))
          end
          local e = entries[1]
          local where = #ctx.searched > 0
            and string.format("No file in %s holds %s, so the driver is not confirmed.", looked, s.tag)
            or "No driver folder was given, so no driver was checked."
          out[#out + 1] = {
            level = #ctx.searched > 0 and "suspect" or "likely",
            title = string.format("%s is a tag of known issue %s (%s); %s", s.tag, e.id, e.title,
                                  #ctx.searched > 0 and "no file searched holds it"
                                  or "no driver folder was given to confirm it"),
            explanation = string.format("The knowledge base lists tag %s under %s. %s",
                                        s.tag, table.concat(names, "; "), where),
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
