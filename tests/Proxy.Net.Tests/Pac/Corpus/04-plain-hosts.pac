function FindProxyForURL(url, host) {
  if (isPlainHostName(host)) return 'DIRECT'; return 'PROXY p:8080';
}
