function FindProxyForURL(url, host) {
  var h = host.toLowerCase(); if (h.indexOf('upper') >= 0) return 'PROXY up:1'; return 'DIRECT';
}
