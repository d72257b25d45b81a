using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Coordinator;

/// <summary>A worker child process (this same program with <c>worker N</c>), driven over stdin/stdout JSON lines.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> waiting = new();
    private readonly Lock writeGate = new();
    private int nextId;

    private WorkerProcess(int index, Process process)
    {
        Index = index;
        this.process = process;
        _ = Task.Run(ReadRepliesAsync);
    }

    public int Index { get; }
    public int Pid => process.Id;

    public static WorkerProcess Start(int index)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        start.ArgumentList.Add("worker");
        start.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new WorkerProcess(index, Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker"));
    }

    public async Task<JsonObject> SendAsync(JsonObject command, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref nextId);
        command["id"] = id;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[id] = reply;
        lock (writeGate)
        {
            process.StandardInput.WriteLine(command.ToJsonString());
            process.StandardInput.Flush();
        }

        var result = await reply.Task.WaitAsync(timeout);
        if (result["error"] is { } error)
            throw new InvalidOperationException($"worker {Index}: {error}");
        return result;
    }

    private async Task ReadRepliesAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var reply = JsonNode.Parse(line)!.AsObject();
            if (waiting.TryRemove(reply["id"]!.GetValue<int>(), out var tcs))
                tcs.TrySetResult(reply);
        }

        foreach (var tcs in waiting.Values)
            tcs.TrySetException(new IOException($"worker {Index} exited"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            lock (writeGate)
            {
                process.StandardInput.WriteLine("""{"cmd":"quit"}""");
                process.StandardInput.Flush();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited)
                process.Kill();
        }

        process.Dispose();
    }
}
