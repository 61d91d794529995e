using System.Diagnostics;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// squid on 127.0.0.1 with its own configuration, optionally with Basic authentication from an htpasswd file.
/// Its access log (native format: the user is the 8th field) proves what went through it; <see cref="Connections"/>
/// reads a second log with the client port of every request, which proves how many connections a client opened.
/// </summary>
internal sealed class SquidServer(ServerProcess process, string directory, int port) : LoggingProxy(process, directory, port)
{

    /// <param name="user">With <paramref name="password"/>: Basic login from an htpasswd file (basic_ncsa_auth).</param>
    /// <param name="password">The Basic password.</param>
    /// <param name="extraConfig">Lines added before the access rules.</param>
    /// <param name="login">Another login instead of Basic: given squid's folder, writes what it needs there and returns the <c>auth_param</c> lines (and any other configuration lines).</param>
    public static async Task<SquidServer> StartAsync(string? user = null, string? password = null, string extraConfig = "", Func<string, Task<string>>? login = null)
    {
        string squid = ServerProcess.Require("squid", "squid");
        string dir = Path.Combine(Path.GetTempPath(), $"proxynet-squid-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        int port = ServerProcess.FreePort();
        string access = "http_access allow localhost";
        if (user is not null)
        {
            login ??= BasicLogin(user, password ?? string.Empty);
        }

        if (login is not null)
        {
            access = $"""
                {await login(dir)}
                acl authed proxy_auth REQUIRED
                http_access allow authed
                """;
        }

        string config = Path.Combine(dir, "squid.conf");
        await File.WriteAllTextAsync(config, $"""
            http_port 127.0.0.1:{port}
            pid_filename {dir}/squid.pid
            access_log stdio:{dir}/access.log squid
            logformat connections %>p %un %rm %ru %>Hs
            access_log stdio:{dir}/connections.log connections
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
        // -n: its own service name, hence its own shared-memory segments; squids started at the same moment otherwise
        // collide on /squid-cf__metadata.shm and one exits ("File exists").
        var process = await ServerProcess.StartAsync("squid", squid, ["-N", "-n", $"proxynet{port}", "-f", config], port);
        return new SquidServer(process, dir, port);
    }

    /// <summary>Basic login (basic_ncsa_auth) for one user, from an htpasswd file.</summary>
    public static Func<string, Task<string>> BasicLogin(string user, string password) => async dir =>
    {
        ServerProcess.Require("htpasswd", "apache2-utils");
        string passwd = Path.Combine(dir, "passwd");
        using (var htpasswd = Process.Start(new ProcessStartInfo("htpasswd", ["-bc", passwd, user, password]) { RedirectStandardError = true })!)
        {
            await htpasswd.WaitForExitAsync();
        }

        File.SetUnixFileMode(passwd, (UnixFileMode)0x1A4);
        return $"""
            auth_param basic program /usr/lib/squid/basic_ncsa_auth {passwd}
            auth_param basic realm proxynet-test
            """;
    };

    /// <summary>Several logins at once: squid offers each scheme, in this order, on every 407.</summary>
    public static Func<string, Task<string>> Logins(params Func<string, Task<string>>[] logins) => async dir =>
    {
        var lines = new List<string>();
        foreach (var login in logins)
        {
            lines.Add(await login(dir));
        }

        return string.Join("\n", lines);
    };

    /// <summary>Digest login (digest_file_auth) for one user: a plain <c>user:password</c> file readable by squid's helper.</summary>
    public static Func<string, Task<string>> DigestLogin(string user, string password) => async dir =>
    {
        ServerProcess.Require("/usr/lib/squid/digest_file_auth", "squid");
        string file = Path.Combine(dir, "digest-passwords");
        await File.WriteAllTextAsync(file, $"{user}:{password}\n");
        File.SetUnixFileMode(file, (UnixFileMode)0x1A4);
        return $"""
            auth_param digest program /usr/lib/squid/digest_file_auth {file}
            auth_param digest realm proxynet-digest
            auth_param digest children 2
            """;
    };

    /// <summary>Every request squid logged, in order, with the client port it came from (a line is written when the request ends).</summary>
    public IReadOnlyList<SquidRequest> Connections =>
        ServerProcess.ReadLog(Path.Combine(Directory, "connections.log"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(f => new SquidRequest(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1], f[2], f[3], f[4]))
            .ToList();

    /// <summary>Waits until squid has logged <paramref name="count"/> requests for <paramref name="url"/> (it logs when a tunnel closes).</summary>
    public async Task<IReadOnlyList<SquidRequest>> WaitForAsync(string url, Func<IReadOnlyList<SquidRequest>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = Connections.Where(r => r.Url == url).ToList();
            if (done(lines) || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>One line of squid's connections log: client port, user (<c>-</c> when none), method, URL, status.</summary>
internal sealed record SquidRequest(int ClientPort, string User, string Method, string Url, string Status);
