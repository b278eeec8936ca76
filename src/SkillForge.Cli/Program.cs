using SkillForge.Cli;

return await CliApp.RunAsync(args, new CliEnvironment(Console.In, Console.Out, error: Console.Error));
