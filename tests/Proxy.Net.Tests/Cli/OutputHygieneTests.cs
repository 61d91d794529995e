using System.Net;
using System.Net.Sockets;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Cli;

/// <summary>Hostile peers and broken input meet one escaped line and the exit code of their class: never a stack trace, never lost files.</summary>
public sealed class OutputHygieneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proxynet-hygiene-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Escape_sequences_in_a_reason_phrase_are_printed_escaped()
    {
        // ESC ] 0 ; title BEL sets an xterm's title; CSI 2 J clears the screen.
        await using var origin = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            // Latin-1 on the wire: 0x9B is the one-byte CSI.
            await s.WriteAsync(System.Text.Encoding.Latin1.GetBytes("HTTP/1.1 200 OK \u001b]0;pwned\u0007\u001b[2J\u009b31m\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
        });
        var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, "get", $"http://127.0.0.1:{origin.Port}/", "-v", "-o", Path.Combine(_dir, "out"));
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout + stderr);
        Assert.DoesNotContain('\u0007', stdout + stderr);
        Assert.DoesNotContain('\u009b', stdout + stderr);
        Assert.Contains("\\x1b]0;pwned\\x07\\x1b[2J", stderr, StringComparison.Ordinal);
        Assert.True(stderr.Contains("\\x9b31m", StringComparison.Ordinal), stderr);
    }

    [Fact]
    public async Task Escape_sequences_in_a_PAC_answer_are_printed_escaped_by_every_command()
    {
        // The reason of a PAC decision quotes the script's answer: text from a peer, in get -v's route line too.
        string pac = Path.Combine(_dir, "hostile.pac");
        await File.WriteAllTextAsync(pac, "function FindProxyForURL(url, host) { return \"PROXY 127.0.0.1:1; \\u001b]0;pwned\\u0007\\u009b31m\\u202e\"; }");
        string[][] commands =
        [
            ["get", "http://example.com/", "-v", "--pac", pac, "--timeout", "5", "-o", Path.Combine(_dir, "pac-out")],
            ["resolve", "--pac", pac, "http://example.com/"],
            ["resolve", "--json", "--pac", pac, "http://example.com/"],
            ["explain", "--pac", pac, "http://example.com/"],
            ["doctor", "--pac", pac, "--timeout", "2"],
            ["doctor", "--json", "--pac", pac, "--timeout", "2"],
        ];
        foreach (string[] args in commands)
        {
            var (_, stdout, stderr) = await CliRunner.RunAsync(string.Empty, args);
            string all = stdout + stderr;
            Assert.True(all.Contains("pwned", StringComparison.Ordinal), $"{string.Join(' ', args)}: {all}");
            foreach (char c in "\u001b\u0007\u009b\u202e")
            {
                Assert.False(all.Contains(c, StringComparison.Ordinal), $"{string.Join(' ', args)} printed U+{(int)c:X4}: {all}");
            }

            if (args is ["resolve", "--json", ..])
            {
                // Escaped for the terminal, yet the same data for a JSON parser.
                using var line = System.Text.Json.JsonDocument.Parse(stdout);
                Assert.EndsWith("; \u001b]0;pwned\u0007\u009b31m\u202e\"", line.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }

            if (args[0] == "get")
            {
                Assert.Contains("* route: PROXY http://127.0.0.1:1 (PAC FindProxyForURL returned \"PROXY 127.0.0.1:1; \\x1b]0;pwned\\x07\\x9b31m\\u202e\")", stderr, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_malformed_TRUSTED_CERTIFICATE_block_is_one_line_and_exit_1()
    {
        string pem = Path.Combine(_dir, "broken.pem");
        await File.WriteAllTextAsync(pem, "-----BEGIN TRUSTED CERTIFICATE-----\nMIIBAgMEBQYHCAkKCwwNDg8Q\n-----END TRUSTED CERTIFICATE-----\n");
        await using var origin = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        });
        foreach (string[] args in new[]
        {
            new[] { "get", $"http://127.0.0.1:{origin.Port}/", "--ca-file", pem },
            new[] { "get", $"http://127.0.0.1:{origin.Port}/", "--proxy-ca-file", pem },
        })
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync(string.Empty, args);
            Assert.True(exit == 1, $"exit {exit}: {stderr}");
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains("TRUSTED CERTIFICATE", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        }

        // doctor reports it as one failed check and still runs the others.
        var (doctorExit, doctorOut, doctorErr) = await CliRunner.RunAsync($"HTTP_PROXY=http://127.0.0.1:{origin.Port}", "doctor", "--ca-file", pem, "--timeout", "2");
        Assert.Equal(1, doctorExit);
        Assert.Contains("[FAIL] origin trust:", doctorOut, StringComparison.Ordinal);
        Assert.Contains($"[ OK ] proxy http://127.0.0.1:{origin.Port}: accepts a TCP connection", doctorOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", doctorOut + doctorErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_FILE_part_survives_a_refused_connection()
    {
        string output = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(output, "the user's file");
        await File.WriteAllTextAsync(output + ".part", "the user's half download");
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", $"http://127.0.0.1:{FreePort()}/file", "-o", output, "--timeout", "5");
        Assert.Equal(4, exit);
        Assert.Contains("Connection refused", stderr, StringComparison.Ordinal);
        Assert.Equal("the user's file", await File.ReadAllTextAsync(output));
        Assert.Equal("the user's half download", await File.ReadAllTextAsync(output + ".part"));
    }

    [Fact]
    public async Task An_existing_FILE_part_is_not_overwritten_by_a_successful_download()
    {
        await using var origin = new ScriptedServer(async (s, _) =>
        {
            await ScriptedServer.ReadHeadAsync(s);
            await ScriptedServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nnew");
        });
        string output = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(output + ".part", "the user's half download");
        var (exit, _, stderr) = await CliRunner.RunAsync(string.Empty, "get", $"http://127.0.0.1:{origin.Port}/file", "-o", output);
        Assert.True(exit == 0, stderr);
        Assert.Equal("new", await File.ReadAllTextAsync(output));
        Assert.Equal("the user's half download", await File.ReadAllTextAsync(output + ".part"));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
