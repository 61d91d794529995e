// The handler benchmarks start squid, a Debian package: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
