function FindProxyForURL(url, host) {
  return 'PROXY a.corp:3128; PROXY b.corp:3128; DIRECT';
}
