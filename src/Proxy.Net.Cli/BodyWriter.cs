using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ProxyNet.Cli;

/// <summary>get's output: a body streamed to stdout or to a fresh <c>FILE.part</c>, with a progress bar on a terminal.</summary>
internal static class BodyWriter
{
    /// <summary>
    /// Writes <paramref name="head"/> (the <c>-i</c>/<c>-I</c> status line and headers, or nothing) and then
    /// <paramref name="body"/> to stdout or to <paramref name="output"/>; returns the body's byte count.
    /// <paramref name="partial"/> names the <c>FILE.part</c> while it exists, so the caller can delete it on failure.
    /// </summary>
    public static async Task<long> WriteAsync(Stream body, byte[]? head, string? output, long? length, bool progress, TextWriter stderr, StrongBox<string?> partial, CancellationToken cancellationToken)
    {
        long written;
        if (output is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            if (head is not null)
            {
                await stdout.WriteAsync(head, cancellationToken);
            }

            return await CopyAsync(body, stdout, length, progress, stderr, cancellationToken);
        }

        // Synchronous, unbuffered writes of large blocks: the page cache takes them at once, and a thread-pool
        // hop per block (what async file I/O costs on Linux) would slow a fast download. A fresh file of our own,
        // created only now that the body is coming: nothing the user had (FILE, FILE.part) is truncated or
        // deleted before then, and a FILE.part that is not ours is left alone. (FileMode.Create would truncate
        // with ftruncate(0), after which ext4 with auto_da_alloc flushes the whole file on close: 40 ms per 100 MB.)
        FileStream file;
        (partial.Value, file) = CreatePartial(output);
        await using (file)
        {
            if (head is not null)
            {
                file.Write(head);
            }

            written = await CopyAsync(body, file, length, progress, stderr, cancellationToken);
        }

        File.Move(partial.Value, output, overwrite: true);
        partial.Value = null;
        return written;
    }

    /// <summary><c>FILE.part</c>, or <c>FILE.N.part</c> when the user already has a <c>FILE.part</c>: always a new file.</summary>
    private static (string Path, FileStream Stream) CreatePartial(string output)
    {
        for (int attempt = 0; ; attempt++)
        {
            string path = attempt == 0 ? output + ".part" : $"{output}.{Environment.ProcessId}-{attempt}.part";
            try
            {
                return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: false));
            }
            catch (IOException) when (File.Exists(path) && attempt < 100)
            {
            }
        }
    }

    private static async Task<long> CopyAsync(Stream source, Stream target, long? length, bool progress, TextWriter stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 18];
        long total = 0;
        progress &= !Console.IsErrorRedirected && (length is null or > 1 << 20);
        var clock = Stopwatch.StartNew();
        long lastDraw = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (target is FileStream)
            {
                target.Write(buffer, 0, read);
            }
            else
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            total += read;
            if (progress && clock.ElapsedMilliseconds - lastDraw >= 100)
            {
                lastDraw = clock.ElapsedMilliseconds;
                stderr.Write($"\r{Progress(total, length, clock.Elapsed)}");
            }
        }

        if (progress)
        {
            stderr.WriteLine($"\r{Progress(total, length, clock.Elapsed)}");
        }

        return total;
    }

    private static string Progress(long done, long? length, TimeSpan elapsed)
    {
        double rate = done / Math.Max(elapsed.TotalSeconds, 0.001) / (1 << 20);
        if (length is not { } total || total <= 0)
        {
            return $"{done / (double)(1 << 20),8:0.0} MiB  {rate,7:0.0} MiB/s";
        }

        int width = 30;
        int filled = (int)(width * done / total);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {100.0 * done / total,5:0.0}%  {done / (double)(1 << 20):0.0}/{total / (double)(1 << 20):0.0} MiB  {rate:0.0} MiB/s";
    }
}
