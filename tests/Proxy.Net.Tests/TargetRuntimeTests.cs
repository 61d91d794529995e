using System.Reflection;
using System.Runtime.Versioning;
using ProxyNet.Resolution;

namespace ProxyNet.Tests;

/// <summary>
/// Each target framework's tests run the library's build for that framework on that framework's own runtime
/// (self-contained, from NuGet's runtime pack), not rolled forward onto the machine's newer shared runtime.
/// </summary>
public sealed class TargetRuntimeTests
{
    [Fact]
    public void The_tests_of_each_target_framework_run_its_build_on_its_runtime()
    {
#if NET10_0
        const int expected = 10;
#elif NET8_0
        const int expected = 8;
#else
#error a new target framework: name its runtime here
#endif
        Assert.Equal(expected, Environment.Version.Major);
        string? library = typeof(ProxyNetOptions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
        Assert.Equal($".NETCoreApp,Version=v{expected}.0", library);
    }
}
