function FindProxyForURL(url, host) {
  if (url.indexOf(host) < 0) return 'PROXY weird:1'; return 'PROXY normal:1';
}
