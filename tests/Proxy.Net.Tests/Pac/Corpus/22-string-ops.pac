function FindProxyForURL(url, host) {
  var parts = host.split('.'); var tld = parts[parts.length - 1]; if (tld == 'de') return 'PROXY de:1'; if (tld == 'fr') return 'PROXY fr:1'; return 'PROXY world:1';
}
