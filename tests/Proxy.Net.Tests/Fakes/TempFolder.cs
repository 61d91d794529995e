namespace ProxyNet.Tests.Fakes;

/// <summary>A folder of its own under the system's temporary folder for one test class, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix) => FullName = Directory.CreateTempSubdirectory(prefix).FullName;

    public string FullName { get; }

    /// <summary>The path of <paramref name="name"/> in the folder (nothing is created).</summary>
    public string PathOf(string name) => Path.Combine(FullName, name);

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> and returns its path.</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(FullName, recursive: true);
}
