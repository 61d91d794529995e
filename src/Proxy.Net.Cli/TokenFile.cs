using System.Security.Cryptography;

namespace ProxyNet.Cli;

/// <summary>
/// serve's client token: 32 random bytes in hex, in a file only its owner can read (mode 0600) under
/// <c>$XDG_RUNTIME_DIR/proxynet/</c> or <c>~/.config/proxynet/</c>. A file that is there already with the right mode is
/// reused, so the variables a shell or <c>env-site.sh</c> took from <c>proxynet env</c> keep working across restarts.
/// </summary>
internal static class TokenFile
{
    public static string DefaultPath()
    {
        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string folder = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)
            ? Path.Combine(runtime, "proxynet")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "proxynet");
        return Path.Combine(folder, "token");
    }

    /// <summary>The token in <paramref name="path"/>, made and written there first when the file is missing, empty or readable by others.</summary>
    public static string Ensure(string path)
    {
        if (Read(path) is { } existing)
        {
            return existing;
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder!);
        }
        else
        {
            Directory.CreateDirectory(folder!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        using (var file = new FileStream(path, options))
        using (var writer = new StreamWriter(file))
        {
            writer.WriteLine(token);
        }

        return token;
    }

    /// <summary>The token in <paramref name="path"/>, or null when there is none to trust (missing, empty, group- or world-readable).</summary>
    public static string? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            return null;
        }

        string token = File.ReadAllText(path).Trim();
        return token.Length >= 16 && token.All(char.IsAsciiLetterOrDigit) ? token : null;
    }
}
