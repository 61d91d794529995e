namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// apache2 with the seed configuration from the Dataiku DSS documentation: a forward proxy that allows
/// CONNECT to ports 20, 21, 443 and 1024-65535. Its access log shows every request and CONNECT.
/// </summary>
internal sealed class ApacheServer(ServerProcess process, string directory, int port) : LoggingProxy(process, directory, port)
{
    private const string Modules = "/usr/lib/apache2/modules";

    public static async Task<ApacheServer> StartAsync()
    {
        string apache = ServerProcess.Require("apache2", "apache2");
        string dir = Path.Combine(Path.GetTempPath(), $"proxynet-apache-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        int port = ServerProcess.FreePort();
        string config = Path.Combine(dir, "httpd.conf");
        await File.WriteAllTextAsync(config, $"""
            ServerRoot "{dir}"
            ServerName 127.0.0.1
            Listen 127.0.0.1:{port}
            PidFile {dir}/httpd.pid
            DefaultRuntimeDir {dir}
            Mutex file:{dir} default
            ErrorLog {dir}/error.log
            LogLevel warn
            LogFormat "%h %l %u %t \"%r\" %>s %b" common
            CustomLog {dir}/access.log common
            User www-data
            Group www-data
            LoadModule mpm_event_module {Modules}/mod_mpm_event.so
            LoadModule authz_core_module {Modules}/mod_authz_core.so
            LoadModule authz_host_module {Modules}/mod_authz_host.so
            LoadModule access_compat_module {Modules}/mod_access_compat.so
            LoadModule proxy_module {Modules}/mod_proxy.so
            LoadModule proxy_http_module {Modules}/mod_proxy_http.so
            LoadModule proxy_connect_module {Modules}/mod_proxy_connect.so

            # The DSS documentation's forward proxy, as written there.
            ProxyRequests On
            ProxyVia On
            AllowCONNECT 20 21 443 1024-65535
            <Proxy *>
                Order deny,allow
                Allow from 127.0.0.1
            </Proxy>
            """);
        var process = await ServerProcess.StartAsync("apache2", apache, ["-f", config, "-DFOREGROUND"], port);
        return new ApacheServer(process, dir, port);
    }
}
