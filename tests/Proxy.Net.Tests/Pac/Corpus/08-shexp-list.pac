function FindProxyForURL(url, host) {
  var l = ['*.google.example', '*.gstatic.example', '*.microsoft.example', 'windowsupdate.*', '*.s3.amazonaws.example', '*.example.test', 'ftp.*', 'a?c.example', '*.internal.*'];
  for (var i = 0; i < l.length; i++) if (shExpMatch(host, l[i])) return 'PROXY matched:' + (1000 + i);
  return 'DIRECT';
}
