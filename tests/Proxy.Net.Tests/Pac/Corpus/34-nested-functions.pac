function FindProxyForURL(url, host) {
  function pick(h) { if (dnsDomainIs(h, '.example.test')) return 'PROXY org:1'; return null; }
  return pick(host) || 'DIRECT';
}
