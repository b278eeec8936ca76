using SkillForge.Bench;

// ops/dev.sh bench cleanup|turns|fairness|export: each scenario prints its figures and writes them to docs/.
var scenario = args.FirstOrDefault() ?? "cleanup";
return scenario switch
{
    "cleanup" => await CleanupBenchmark.RunAsync(args.Skip(1).ToArray()),
    "turns" => await PerformanceBenchmark.RunAsync(args.Skip(1).ToArray()),
    "fairness" => await FairnessBenchmark.RunAsync(args.Skip(1).ToArray()),
    "export" => await ExportBenchmark.RunAsync(args.Skip(1).ToArray()),
    "stages" => await StageBenchmark.RunAsync(args.Skip(1).ToArray()),
    EchoServer.Argument => await EchoServer.ServeAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SkillForge.Bench cleanup [--sessions N] [--messages-per-session M] [--batch B] [--pause-ms P] [--rounds R] [--turn-rates T1,T2] [--through-worker]");
    Console.Error.WriteLine("       SkillForge.Bench fairness   (build the worker first: dotnet build -c Release src/SkillForge.Worker)");
    Console.Error.WriteLine("       SkillForge.Bench export     (build the worker first: dotnet build -c Release src/SkillForge.Worker)");
    Console.Error.WriteLine("       SkillForge.Bench stages [--operations N]");
    Console.Error.WriteLine("       SkillForge.Bench turns [--seconds S] [--rounds R] [--senders N1,N2] [--soak-minutes M] [--compare-env NAME=VALUE[,NAME=VALUE]]   (build the worker first: dotnet build -c Release src/SkillForge.Worker)");
    return 2;
}
