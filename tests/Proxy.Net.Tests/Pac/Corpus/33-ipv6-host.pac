function FindProxyForURL(url, host) {
  if (host.indexOf(':') >= 0) return 'PROXY v6:1'; return 'PROXY v4:1';
}
