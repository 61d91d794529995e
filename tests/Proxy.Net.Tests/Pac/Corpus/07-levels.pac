function FindProxyForURL(url, host) {
  var n = dnsDomainLevels(host); if (n == 0) return 'DIRECT'; if (n == 1) return 'PROXY one:1'; if (n == 2) return 'PROXY two:2'; return 'PROXY many:3';
}
