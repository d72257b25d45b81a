using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Kefu.Benchmarks -- --filter '*'   (or a class name, e.g. '*FanOut*')
BenchmarkSwitcher.FromAssembly(typeof(Kefu.Benchmarks.FrameBenchmarks).Assembly).Run(args);
