using System.Diagnostics;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// squid on 127.0.0.1 with its own configuration, optionally with Basic authentication from an htpasswd file.
/// Its access log (native format: the user is the 8th field) proves what went through it.
/// </summary>
internal sealed class SquidServer(ServerProcess process, string directory, int port) : LoggingProxy(process, directory, port)
{
    public static async Task<SquidServer> StartAsync(string? user = null, string? password = null, string extraConfig = "")
    {
        string squid = ServerProcess.Require("squid", "squid");
        string dir = Path.Combine(Path.GetTempPath(), $"proxynet-squid-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        int port = ServerProcess.FreePort();
        string access = "http_access allow localhost";
        if (user is not null)
        {
            ServerProcess.Require("htpasswd", "apache2-utils");
            string passwd = Path.Combine(dir, "passwd");
            using (var htpasswd = Process.Start(new ProcessStartInfo("htpasswd", ["-bc", passwd, user, password ?? string.Empty]) { RedirectStandardError = true })!)
            {
                await htpasswd.WaitForExitAsync();
            }

            File.SetUnixFileMode(passwd, (UnixFileMode)0x1A4);
            access = $"""
                auth_param basic program /usr/lib/squid/basic_ncsa_auth {passwd}
                auth_param basic realm proxynet-test
                acl authed proxy_auth REQUIRED
                http_access allow authed
                """;
        }

        string config = Path.Combine(dir, "squid.conf");
        await File.WriteAllTextAsync(config, $"""
            http_port 127.0.0.1:{port}
            pid_filename {dir}/squid.pid
            access_log stdio:{dir}/access.log squid
            cache_log {dir}/cache.log
            cache_store_log none
            coredump_dir {dir}
            cache deny all
            shutdown_lifetime 0 seconds
            logfile_rotate 0
            pinger_enable off
            {extraConfig}
            {access}
            http_access deny all
            """);
        var process = await ServerProcess.StartAsync("squid", squid, ["-N", "-f", config], port);
        return new SquidServer(process, dir, port);
    }
}
