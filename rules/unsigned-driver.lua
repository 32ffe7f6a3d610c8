-- unsigned-driver: a driver that holds a suspect tag and whose signature
-- is invalid (tampered, or a broken signature) or missing.  `suspect` for
-- an invalid signature; `info` for no embedded signature, since the file
-- may be catalog-signed.
return {
  id = "unsigned-driver",
  title = "A driver holding a suspect tag is unsigned or its signature is invalid",
  author = "pooltriage maintainers",
  applies_to = { "*" },

  evaluate = function(ctx)
    local out, seen = {}, {}
    for _, a in ipairs(ctx.attributions) do
      for _, c in ipairs(a.candidates) do
        local d = c.driver
        local sig = d.signer
        if sig ~= nil and sig.status ~= "signed" and c.confidence >= 0.5 and not seen[d.path] then
          seen[d.path] = true
          local invalid = sig.status == "invalid"
          out[#out + 1] = {
            level = invalid and "suspect" or "info", kind = "signature",
            title = string.format("%s holds %s and its signature is %s", d.name, a.tag,
                                  invalid and "invalid" or "missing"),
            explanation = invalid
              and (d.name .. "'s embedded Authenticode signature does not match the file: " ..
                   "it was changed after signing, or the signature is broken.")
              or (d.name .. " has no embedded signature; it may be catalog-signed " ..
                  "(give --root with Windows\\System32\\CatRoot to check)."),
            tag = a.tag, tags = { a.tag }, driver = d,
            action = invalid and ("Treat " .. d.name .. " as untrusted: compare its sha256 with " ..
                                  "the vendor's release and reinstall it from a trusted source.")
                            or "Check the catalog signature, or that the file comes from its vendor.",
          }
        end
      end
    end
    return out
  end,
}
