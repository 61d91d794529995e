function FindProxyForURL(url, host) {
  return 'PROXY proxy.corp:3128';
}
