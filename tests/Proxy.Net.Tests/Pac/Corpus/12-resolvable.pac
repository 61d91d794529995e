function FindProxyForURL(url, host) {
  if (isResolvable(host)) return 'PROXY known:1'; return 'PROXY unknown:2';
}
