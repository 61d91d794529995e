using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ProxyNet.SystemSettings;

/// <summary>
/// Reads GNOME's <c>org.gnome.system.proxy</c> settings with <c>gsettings list-recursively</c> (whatever backend the
/// session uses: dconf, or the keyfile backend with <c>GSETTINGS_BACKEND=keyfile</c>) and maps them as libproxy does:
/// per scheme its own proxy, then the SOCKS proxy; <c>mode 'auto'</c> is the PAC script at <c>autoconfig-url</c>,
/// or WPAD when that is empty.
/// </summary>
internal static class GnomeProxySettings
{
    public const string Source = "GNOME org.gnome.system.proxy";

    private const string Schema = "org.gnome.system.proxy";

    public static DesktopProxySettings Read(Func<string, string?> environment)
    {
        string output;
        try
        {
            output = Run(environment);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return DesktopProxySettings.ReadFailed(Source, $"gsettings could not be run ({e.Message}); install libglib2.0-bin and gsettings-desktop-schemas");
        }

        return Parse(output);
    }

    /// <summary>Maps the output of <c>gsettings list-recursively org.gnome.system.proxy</c>.</summary>
    internal static DesktopProxySettings Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', 3);
            if (parts.Length == 3 && parts[0].StartsWith(Schema, StringComparison.Ordinal))
            {
                values[$"{parts[0][Schema.Length..].TrimStart('.')}/{parts[1]}"] = parts[2];
            }
        }

        string Text(string key) => values.TryGetValue(key, out string? v) ? GVariantText.String(v) ?? string.Empty : string.Empty;
        int Number(string key) => values.TryGetValue(key, out string? v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0;
        bool Flag(string key) => values.TryGetValue(key, out string? v) && v == "true";

        string mode = Text("/mode");
        switch (mode)
        {
            case "manual":
                break;
            case "auto":
                string pac = Text("/autoconfig-url").Trim();
                return pac.Length == 0
                    ? new DesktopProxySettings(Source, DesktopProxyMode.AutoDetect)
                    : new DesktopProxySettings(Source, DesktopProxyMode.Script) { PacUrl = pac };
            case "none" or "":
                return new DesktopProxySettings(Source, DesktopProxyMode.None) { Problem = values.Count == 0 ? "gsettings printed no org.gnome.system.proxy settings" : null };
            default:
                return DesktopProxySettings.Unreadable(Source, $"mode '{mode}' is not none, manual or auto");
        }

        string? Proxy(string scheme, string type) =>
            Text($"{scheme}/host").Trim() is { Length: > 0 } host && Number($"{scheme}/port") is > 0 and var port
                ? $"{type}://{(host.Contains(':') && !host.StartsWith('[') && IPAddress.TryParse(host, out _) ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}"
                : null;

        NetworkCredential? credentials = Flag("http/use-authentication") && Text("http/authentication-user") is { Length: > 0 } user
            ? new NetworkCredential(user, Text("http/authentication-password"))
            : null;
        return new DesktopProxySettings(Source, DesktopProxyMode.Manual)
        {
            Http = Proxy("http", "http"),
            Https = Proxy("https", "http"),
            Ftp = Proxy("ftp", "http"),
            Socks = Proxy("socks", "socks5"),
            Ignore = values.TryGetValue("/ignore-hosts", out string? ignore) ? GVariantText.StringArray(ignore) : [],
            DesktopIgnoreGrammar = true,
            Credentials = credentials,
        };
    }

    private static string Run(Func<string, string?> environment)
    {
        var start = new ProcessStartInfo("gsettings", ["list-recursively", Schema])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };

        // The settings of the user this configuration describes (tests point these at a throw-away directory).
        foreach (string name in (string[])["HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS", "GSETTINGS_BACKEND", "GSETTINGS_SCHEMA_DIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"])
        {
            if (environment(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("gsettings did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(3000))
        {
            process.Kill(entireProcessTree: true);
            throw new IOException("gsettings did not answer within 3 seconds");
        }

        if (process.ExitCode != 0)
        {
            throw new IOException($"gsettings exited with {process.ExitCode}: {Terminal(stderr.Result)}");
        }

        return stdout.Result;
    }

    private static string Terminal(string text) => new([.. text.Trim().Take(200).Select(c => char.IsControl(c) ? ' ' : c)]);
}

/// <summary>The few GVariant text forms <c>gsettings</c> prints for the proxy schema: strings and string arrays.</summary>
internal static class GVariantText
{
    /// <summary><c>'text'</c> or <c>"text"</c> with backslash escapes; null when <paramref name="value"/> is not a string.</summary>
    public static string? String(string value)
    {
        int at = 0;
        return ReadString(value, ref at);
    }

    /// <summary><c>['a', 'b']</c> or <c>@as []</c>.</summary>
    public static IReadOnlyList<string> StringArray(string value)
    {
        var items = new List<string>();
        int at = value.IndexOf('[');
        if (at < 0)
        {
            return items;
        }

        at++;
        while (at < value.Length)
        {
            while (at < value.Length && (value[at] == ' ' || value[at] == ','))
            {
                at++;
            }

            if (at >= value.Length || value[at] == ']')
            {
                break;
            }

            if (ReadString(value, ref at) is not { } item)
            {
                break;
            }

            items.Add(item);
        }

        return items;
    }

    private static string? ReadString(string value, ref int at)
    {
        if (at >= value.Length || value[at] is not ('\'' or '"'))
        {
            return null;
        }

        char quote = value[at++];
        var text = new StringBuilder();
        while (at < value.Length && value[at] != quote)
        {
            char c = value[at++];
            if (c == '\\' && at < value.Length)
            {
                c = value[at++] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    var other => other,
                };
            }

            text.Append(c);
        }

        at++;
        return text.ToString();
    }
}
