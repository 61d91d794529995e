namespace ProxyNet.IntegrationTests.Servers;

/// <summary>
/// The npm servers (s3rver, azurite) that <c>bash tests/run</c> installs into <c>tests/npm-servers</c>, a folder the
/// tests own. A missing one fails the test with a message naming the packages: never a skip.
/// </summary>
internal static class NpmServers
{
    public static string Folder { get; } = Path.Combine(ProxyNet.Tests.Cli.CliRunner.RepositoryRoot, "tests", "npm-servers");

    public static string Require(string executable)
    {
        ServerProcess.Require("node", "nodejs");
        string path = Path.Combine(Folder, "node_modules", ".bin", executable);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"'{executable}' was not found in {Folder}: install the npm packages 's3rver' and 'azurite' there " +
                "(bash tests/run does it: npm install --prefix tests/npm-servers).");
    }

    public static async Task<(ServerProcess Process, string Directory, int Port)> StartAsync(string package, string executable, Func<string, int, IEnumerable<string>> args)
    {
        string bin = Require(executable);
        string dir = System.IO.Directory.CreateTempSubdirectory($"proxynet-{executable}-").FullName;
        int port = ServerProcess.FreePort();
        try
        {
            return (await ServerProcess.StartAsync($"npm {package}", bin, args(dir, port), port), dir, port);
        }
        catch
        {
            System.IO.Directory.Delete(dir, recursive: true);
            throw;
        }
    }
}
