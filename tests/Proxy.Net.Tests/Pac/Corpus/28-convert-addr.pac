function FindProxyForURL(url, host) {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && (convert_addr(host) >>> 24) == 10) return 'DIRECT'; return 'PROXY ca:1';
}
