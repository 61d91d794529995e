using System.Diagnostics;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.SystemSettings;

/// <summary>
/// A throw-away GNOME settings store: gsettings with the keyfile backend in a temp XDG_CONFIG_HOME, so tests never
/// touch the machine's own settings. Needs Debian's libglib2.0-bin and gsettings-desktop-schemas.
/// </summary>
internal sealed class GnomeSettingsStore : IDisposable
{
    public GnomeSettingsStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("proxynet-gnome-").FullName;
        Set("org.gnome.system.proxy", "mode", "'none'");
    }

    public string Directory { get; }

    /// <summary>The variables a process needs to see this store (and only it).</summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>
    {
        ["XDG_CONFIG_HOME"] = Directory,
        ["GSETTINGS_BACKEND"] = "keyfile",
        ["HOME"] = Directory,
    };

    /// <summary>The environment the resolver reads: this store's variables, no proxy variables.</summary>
    public Func<string, string?> Environment => name => Variables.GetValueOrDefault(name);

    public void Set(string schema, string key, string value) => Run("gsettings", ["set", schema, key, value], null, Variables);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public static string Run(string program, string[] arguments, string? input, IReadOnlyDictionary<string, string> variables)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is missing ({e.Message}): apt-get install libglib2.0-bin gsettings-desktop-schemas libproxy-tools libproxy1-plugin-gsettings", e);
        }

        using (process)
        {
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
            return output;
        }
    }
}

/// <summary>Decisions written as libproxy's <c>proxy</c> command prints them: <c>http://h:p socks://h:p</c> or <c>direct://</c>.</summary>
internal static class LibproxyText
{
    public static string Of(ProxyDecision decision)
    {
        Assert.False(decision.IsError, decision.Error);
        var candidates = decision.Candidates.Count > 0 ? decision.Candidates : [decision];
        return string.Join(' ', candidates.Select(c => c.Proxy is { } p
            ? $"{(p.Scheme.StartsWith("socks", StringComparison.Ordinal) ? "socks" : p.Scheme)}://{(p.Host.Contains(':') ? $"[{p.Host}]" : p.Host)}:{p.Port}"
            : "direct://"));
    }
}

/// <summary>An engine that records which script URL it was asked to load.</summary>
internal sealed class RecordingEngine(Func<string, string, string> answer) : IProxyAutoConfig, IProxyAutoConfigScript
{
    public List<string> Loaded { get; } = [];

    public IProxyAutoConfigScript Load(string pacUrl)
    {
        lock (Loaded)
        {
            Loaded.Add(pacUrl);
        }

        return this;
    }

    public string FindProxyForUrl(string url, string host) => answer(url, host);
}
