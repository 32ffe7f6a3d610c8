os.execute('touch /tmp/pooltriage-pwned')
return {}
