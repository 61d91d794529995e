function FindProxyForURL(url, host) {
  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT'; if (isInNet(host, '192.168.0.0', '255.255.0.0')) return 'PROXY lan:1'; if (isInNet(host, '172.16.0.0', '255.240.0.0')) return 'PROXY dmz:2'; return 'PROXY net:3';
}
