function FindProxyForURL(url, host) {
  if (url.indexOf(':8080') >= 0) return 'PROXY alt:8080'; return 'PROXY std:80';
}
