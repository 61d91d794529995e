using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// PostgreSQL 15 (Debian <c>postgresql</c>) in a temporary folder on a free loopback port, run as user
/// <c>postgres</c>: TLS only (<c>hostssl</c>), a server certificate for <c>localhost</c> from the tests' CA, and a
/// <c>trust</c> login for user <c>postgres</c>, so a test proves the tunnel and the certificate check, not a password.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly ServerProcess _process;

    private PostgresServer(ServerProcess process, string directory, int port, string caFile)
    {
        _process = process;
        Directory = directory;
        Port = port;
        CaFile = caFile;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The tests' CA in PEM, for <c>sslrootcert</c> and Npgsql's <c>RootCertificate</c>.</summary>
    public string CaFile { get; }

    public static async Task<PostgresServer> StartAsync(TestCertificates certificates)
    {
        string postgres = Path.Combine(Bin, "postgres");
        if (!File.Exists(postgres))
        {
            throw new InvalidOperationException($"{postgres} was not found: install the Debian package 'postgresql' (bash tests/run installs it).");
        }

        string dir = Path.Combine(Path.GetTempPath(), $"proxynet-pg-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        string data = Path.Combine(dir, "data");
        await RunAsPostgresAsync(Path.Combine(Bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8");

        // The name only, no 127.0.0.1: a client that checks the address it dialled (the forward) instead of the name fails.
        using var server = certificates.IssueServer("localhost", includeLoopbackIp: false);
        string key = Path.Combine(data, "server.key");
        await File.WriteAllTextAsync(Path.Combine(data, "server.crt"), server.ExportCertificatePem());
        using (var ecdsa = server.GetECDsaPrivateKey())
        {
            await File.WriteAllTextAsync(key, ecdsa!.ExportPkcs8PrivateKeyPem());
        }

        string ca = Path.Combine(dir, "ca.pem");
        await File.WriteAllTextAsync(ca, certificates.AuthorityPem);
        await RunAsync("chown", "postgres", Path.Combine(data, "server.crt"), key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        int port = ServerProcess.FreePort();
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{dir}'
            ssl = on
            ssl_cert_file = 'server.crt'
            ssl_key_file = 'server.key'
            """);
        await File.WriteAllTextAsync(Path.Combine(data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n");
        var process = await ServerProcess.StartAsync("postgresql", "setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", postgres, "-D", data], port);
        return new PostgresServer(process, dir, port, ca);
    }

    private static Task RunAsPostgresAsync(string program, params string[] args) =>
        RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", program, .. args]);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/tmp" };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
            // postgres may still be removing its files; the temp folder goes with the machine.
        }

        return ValueTask.CompletedTask;
    }
}
