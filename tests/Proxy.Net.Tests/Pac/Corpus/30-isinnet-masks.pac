function FindProxyForURL(url, host) {
  var nets = [['10.1.0.0', '255.255.0.0'], ['10.2.3.0', '255.255.255.0'], ['192.168.0.0', '255.255.252.0']];
  for (var i = 0; i < nets.length; i++) if (isInNet(host, nets[i][0], nets[i][1])) return 'PROXY n' + i + ':1';
  return 'DIRECT';
}
