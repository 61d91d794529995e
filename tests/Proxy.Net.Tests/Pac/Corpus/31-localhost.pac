function FindProxyForURL(url, host) {
  if (host == 'localhost' || shExpMatch(host, '127.*')) return 'DIRECT'; return 'PROXY p:1';
}
