using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// A throw-away MIT Kerberos realm on 127.0.0.1 (Debian krb5-kdc, krb5-admin-server, krb5-user), never the machine's
/// own configuration: krb5.conf and kdc.conf in a temp folder, the KDC bound to 127.0.0.1 only, a user
/// <see cref="User"/> with a password and a client keytab, and a service keytab for <c>HTTP/localhost</c> that squid's
/// <c>negotiate_kerberos_auth</c> accepts with. Clients name the proxy <c>http://localhost:PORT</c>. The same squid
/// helper accepts NTLM inside SPNEGO through gss-ntlmssp (<see cref="SquidLogin"/>).
/// </summary>
internal sealed class KerberosRealm : IAsyncDisposable
{
    public const string Name = "PROXYNET.TEST";
    public const string User = "alice";
    public const string Password = "kerberos-pw-1";
    public const string ServicePrincipal = "HTTP/localhost@" + Name;
    public const string NtlmDomain = "PROXYNET";
    public const string NtlmUser = "bob";
    public const string NtlmPassword = "ntlm-pw-1";

    private readonly ServerProcess _kdc;

    private KerberosRealm(string directory, ServerProcess kdc)
    {
        Directory = directory;
        _kdc = kdc;
    }

    public string Directory { get; }

    public string Krb5Config => Path.Combine(Directory, "krb5.conf");

    public string ServiceKeytab => Path.Combine(Directory, "http.keytab");

    public string ClientKeytab => Path.Combine(Directory, "alice.keytab");

    public static async Task<KerberosRealm> StartAsync()
    {
        string kdb5Util = ServerProcess.Require("kdb5_util", "krb5-kdc");
        string kadmin = ServerProcess.Require("kadmin.local", "krb5-admin-server");
        ServerProcess.Require("krb5kdc", "krb5-kdc");
        ServerProcess.Require("kinit", "krb5-user");
        string dir = Path.Combine(Path.GetTempPath(), $"proxynet-krb5-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        int port = ServerProcess.FreePort();

        // MIT's profile parser wants every realm block over several lines; "kdc_listen" keeps the KDC off other interfaces.
        await File.WriteAllTextAsync(Path.Combine(dir, "krb5.conf"), $"""
            [libdefaults]
                default_realm = {Name}
                dns_lookup_kdc = false
                dns_lookup_realm = false
                dns_canonicalize_hostname = false
                rdns = false
                udp_preference_limit = 1
            [realms]
                {Name} = {"{"}
                    kdc = 127.0.0.1:{port}
                    admin_server = 127.0.0.1:1
                {"}"}
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "kdc.conf"), $"""
            [kdcdefaults]
                kdc_listen = 127.0.0.1:{port}
                kdc_tcp_listen = 127.0.0.1:{port}
            [realms]
                {Name} = {"{"}
                    database_name = {dir}/principal
                    key_stash_file = {dir}/stash
                    acl_file = {dir}/kadm5.acl
                    kdc_listen = 127.0.0.1:{port}
                    kdc_tcp_listen = 127.0.0.1:{port}
                {"}"}
            """);
        var environment = new Dictionary<string, string>
        {
            ["KRB5_CONFIG"] = Path.Combine(dir, "krb5.conf"),
            ["KRB5_KDC_PROFILE"] = Path.Combine(dir, "kdc.conf"),
        };
        await RunAsync(kdb5Util, ["create", "-s", "-r", Name, "-P", "master-pw-1"], environment);
        await RunAsync(kadmin, ["-q", $"addprinc -pw {Password} {User}"], environment);
        await RunAsync(kadmin, ["-q", "addprinc -randkey HTTP/localhost"], environment);
        await RunAsync(kadmin, ["-q", $"ktadd -k {dir}/http.keytab HTTP/localhost"], environment);
        await RunAsync(kadmin, ["-q", $"ktadd -k {dir}/alice.keytab -norandkey {User}"], environment);

        // squid's helper runs as user "proxy".
        File.SetUnixFileMode(Path.Combine(dir, "http.keytab"), (UnixFileMode)0x1A4);
        var kdc = await ServerProcess.StartAsync("krb5-kdc", "krb5kdc", ["-n"], port, environment);
        return new KerberosRealm(dir, kdc);
    }

    /// <summary>
    /// squid's Negotiate login against this realm (for <see cref="SquidServer.StartAsync"/>). The helper accepts any
    /// key of the service keytab (<c>-s GSS_C_NO_NAME</c>) and, through gss-ntlmssp, NTLM inside SPNEGO for
    /// <see cref="NtlmDomain"/>\<see cref="NtlmUser"/>, checked against an <c>NTLM_USER_FILE</c>.
    /// </summary>
    public Func<string, Task<string>> SquidLogin() => async dir =>
    {
        ServerProcess.Require("/usr/lib/squid/negotiate_kerberos_auth", "squid");
        ServerProcess.Require("/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so", "gss-ntlmssp");
        string users = Path.Combine(dir, "ntlm-users");
        await File.WriteAllTextAsync(users, $"{NtlmDomain}:{NtlmUser}:{NtlmPassword}\n");
        File.SetUnixFileMode(users, (UnixFileMode)0x1A4);
        return $"""
            auth_param negotiate program /usr/bin/env KRB5_KTNAME={ServiceKeytab} KRB5_CONFIG={Krb5Config} KRB5RCACHETYPE=none NTLM_USER_FILE={users} /usr/lib/squid/negotiate_kerberos_auth -s GSS_C_NO_NAME
            auth_param negotiate children 2
            auth_param negotiate keep_alive on
            """;
    };

    /// <summary>Gets a ticket for <see cref="User"/> with <c>kinit</c> (<c>-l</c> <paramref name="lifetime"/>) into a new cache file; returns its <c>FILE:</c> name.</summary>
    public async Task<string> KinitAsync(string? lifetime = null)
    {
        string cache = $"FILE:{Path.Combine(Directory, $"cc-{Guid.NewGuid():N}")}";
        await RunAsync("kinit", lifetime is null ? [User] : ["-l", lifetime, User], new Dictionary<string, string> { ["KRB5_CONFIG"] = Krb5Config, ["KRB5CCNAME"] = cache }, Password + "\n");
        return cache;
    }

    /// <summary>
    /// Points this process's Kerberos library at the realm: KRB5_CONFIG, the ticket cache and the client keytab
    /// (null unsets). GSSAPI reads the native environment, which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// does not change on Linux; hence setenv.
    /// </summary>
    public void UseInThisProcess(string? ticketCache, string? clientKeytab)
    {
        Set("KRB5_CONFIG", Krb5Config);
        Set("KRB5CCNAME", ticketCache ?? $"FILE:{Path.Combine(Directory, "no-ticket-cache")}");
        Set("KRB5_CLIENT_KTNAME", clientKeytab ?? Path.Combine(Directory, "no-client-keytab"));
    }

    public ValueTask DisposeAsync()
    {
        _kdc.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (NativeMethods.setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed");
        }
    }

    private static async Task RunAsync(string executable, string[] args, Dictionary<string, string> environment, string? input = null)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int setenv(string name, string value, int overwrite);
    }
}
