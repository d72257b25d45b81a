using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Kefu.Benchmarks -- --filter '*'   (or a class name, e.g. '*FanOut*')
// dotnet run -c Release --project bench/Kefu.Benchmarks -- appends [--store sqlite|postgres|both] [--appenders 512] [--conversations 2000] [--seconds 10]
if (args is ["appends", .. var options])
{
    return await Kefu.Benchmarks.Appends.AppendRateCommand.RunAsync(options);
}
BenchmarkSwitcher.FromAssembly(typeof(Kefu.Benchmarks.FrameBenchmarks).Assembly).Run(args);
return 0;
