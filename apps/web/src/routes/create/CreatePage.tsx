import {
  Accordion,
  Button,
  Card,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconPhotoPlus, IconSparkles } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type CreateInput, studio, type TemplateDto } from '../../api/studio.ts';
import { notifySuccess } from '../../components/notify.tsx';
import { CostEstimateCard } from '../../components/studio/CostEstimateCard.tsx';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { JobOutcome } from '../../components/studio/JobOutcome.tsx';
import { JobProgress } from '../../components/studio/JobProgress.tsx';
import { creditsKey } from '../../hooks/useCredits.ts';
import { libraryKey } from '../../hooks/useLibrary.ts';
import { usePersonas } from '../../hooks/usePersonas.ts';
import { useProviders } from '../../hooks/useProviders.ts';
import { useStudioJob } from '../../hooks/useStudioJob.ts';
import { jobStore } from '../../jobs/jobStore.ts';
import { QUALITIES, type Quality, STYLES } from './createOptions.ts';
import { referenceFields, takesReference } from './createReference.ts';
import { sizeProblem } from './createSize.ts';
import { ProviderPicker, type ProviderValue } from './ProviderPicker.tsx';
import { ReferencePicker } from './ReferencePicker.tsx';
import { ResultsGallery } from './ResultsGallery.tsx';
import { SizePicker, type SizeState } from './SizePicker.tsx';
import { TemplatePicker } from './TemplatePicker.tsx';

const optionalNumber = (v: string | number): number | null => (typeof v === 'number' ? v : null);

export default function CreatePage() {
  const client = useQueryClient();
  const personas = usePersonas();
  const [template, setTemplate] = useState<TemplateDto | null>(null);
  const [prompt, setPrompt] = useState('');
  const [style, setStyle] = useState<string | null>(null);
  const [quality, setQuality] = useState<Quality>('standard');
  const [provider, setProvider] = useState<ProviderValue>('auto');
  const [model, setModel] = useState<string | null>(null);
  const [variations, setVariations] = useState(1);
  const [negative, setNegative] = useState('');
  const [seed, setSeed] = useState<number | null>(null);
  const [guidance, setGuidance] = useState<number | null>(null);
  const [steps, setSteps] = useState<number | null>(null);
  const [personaId, setPersonaId] = useState<string | null>(null);
  const [enhance, setEnhance] = useState(true);
  const [size, setSize] = useState<SizeState>({ custom: null });
  const [reference, setReference] = useState<ChosenSource | null>(null);
  const [strength, setStrength] = useState(0.5);
  const providers = useProviders();
  // The run being shown lives in the URL, so a reload or the jobs tray can bring it back.
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const resultsRef = useRef<HTMLDivElement>(null);

  const pickTemplate = (t: TemplateDto | null) => {
    setTemplate(t);
    // A template suggests a style and quality; the provider stays the user's choice.
    if (t) {
      setStyle(STYLES.some((s) => s.value === t.style_preset) ? t.style_preset : null);
      setQuality(t.quality);
    }
  };

  const run = useStudioJob(jobId, 'Create', '/create');
  const { job, finished, final } = run;
  const output = final.data?.type === 'create' ? (final.data.result ?? undefined) : undefined;

  const create = useMutation({
    mutationFn: async (body: CreateInput) =>
      studio.createAsync({ ...body, ...(await referenceFields(usedReference, strength)) }),
    onSuccess: (accepted, body) => {
      jobStore.track(
        accepted.job_id,
        `Create: ${body.prompt.slice(0, 40)}`,
        `/create?job=${accepted.job_id}`,
      );
      setParams({ job: accepted.job_id });
      resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  });

  // When a run ends, the library and the balance have changed.
  const [settled, setSettled] = useState<string | null>(null);
  if (finished && jobId && settled !== jobId) {
    setSettled(jobId);
    void client.invalidateQueries({ queryKey: libraryKey });
    void client.invalidateQueries({ queryKey: creditsKey });
    void client.invalidateQueries({ queryKey: ['estimate'] });
  }

  const custom = size.custom;
  const sizeError = custom
    ? (sizeProblem(custom.width, 'Width') ?? sizeProblem(custom.height, 'Height'))
    : null;
  // An explicit size wins over the template's on the server; the template still shapes the prompt.
  const dimensions =
    custom?.width && custom.height
      ? { width: custom.width, height: custom.height }
      : template
        ? { width: template.width, height: template.height }
        : {};
  const chosenModel = provider !== 'auto' ? model : null;
  const modelSpec =
    providers.data?.providers
      .find((p) => p.id === provider)
      ?.models.find((m) => m.id === chosenModel && m.operations.includes('create')) ?? null;
  // The reference is offered (and sent) only where the chosen provider/model can take one.
  const canReference = takesReference(providers.data?.providers ?? [], provider, chosenModel);
  const usedReference = canReference ? reference : null;
  const reuseSeed = (value: number) => {
    setSeed(value);
    notifySuccess(`Seed ${value} is set: the next run varies that image.`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      prompt: prompt.trim(),
      template_id: template?.id ?? null,
      ...(custom ? dimensions : {}),
      provider,
      model: chosenModel,
      style_preset: style,
      quality,
      num_variations: variations,
      negative_prompt: negative.trim() || null,
      seed,
      guidance_scale: provider === 'auto' ? null : guidance,
      steps: provider === 'auto' ? null : steps,
      enhance_prompt: enhance,
      use_persona: personaId !== null,
      persona_id: personaId ? Number(personaId) : null,
    });
  };

  const running = job !== undefined && !finished;
  return (
    <Stack>
      <div>
        <Title order={1}>Create</Title>
        <Text c="dimmed">
          Describe an image, pick a template for the platform, and generate up to 10 variations.
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <form onSubmit={submit}>
            <Stack>
              <Card withBorder>
                <Text fw={600} mb="xs">
                  Template{' '}
                  {template && (
                    <Text span c="dimmed" size="sm">
                      · {template.name}
                    </Text>
                  )}
                </Text>
                <TemplatePicker value={template} onChange={pickTemplate} />
              </Card>
              <Textarea
                label="Prompt"
                placeholder="E.g., Modern coffee shop interior with warm morning light"
                autosize
                minRows={3}
                maxRows={8}
                required
                value={prompt}
                onChange={(e) => setPrompt(e.currentTarget.value)}
              />
              {canReference && (
                <ReferencePicker
                  value={reference}
                  onChange={setReference}
                  strength={strength}
                  onStrength={setStrength}
                  disabled={create.isPending}
                />
              )}
              <SizePicker
                value={size}
                onChange={setSize}
                templateSize={template ? { width: template.width, height: template.height } : null}
                model={modelSpec}
              />
              <Select
                label="Style"
                placeholder="No style"
                clearable
                data={STYLES.map((s) => ({ value: s.value, label: s.label }))}
                value={style}
                onChange={setStyle}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="quality-label">
                  Quality
                </Text>
                <SegmentedControl
                  aria-labelledby="quality-label"
                  value={quality}
                  onChange={(v) => setQuality(v as Quality)}
                  data={QUALITIES.map((q) => ({ value: q.value, label: q.label }))}
                />
                <Text size="xs" c="dimmed">
                  {QUALITIES.find((q) => q.value === quality)?.description}
                </Text>
              </Stack>
              <ProviderPicker
                provider={provider}
                model={model}
                onProvider={(p) => {
                  setProvider(p);
                  setModel(null);
                }}
                onModel={setModel}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Variations: {variations}
                </Text>
                <Slider
                  thumbLabel="Variations"
                  min={1}
                  max={10}
                  step={1}
                  value={variations}
                  onChange={setVariations}
                  marks={[
                    { value: 1, label: '1' },
                    { value: 5, label: '5' },
                    { value: 10, label: '10' },
                  ]}
                  mb="md"
                />
              </Stack>
              <Accordion variant="contained">
                <Accordion.Item value="advanced">
                  <Accordion.Control>Advanced options</Accordion.Control>
                  <Accordion.Panel>
                    <Stack>
                      <Textarea
                        label="Negative prompt"
                        placeholder="What to avoid: text, watermark, blur…"
                        autosize
                        minRows={2}
                        value={negative}
                        onChange={(e) => setNegative(e.currentTarget.value)}
                      />
                      <Group grow align="flex-start">
                        <NumberInput
                          label="Seed"
                          placeholder="Random"
                          min={0}
                          value={seed ?? ''}
                          onChange={(v) => setSeed(optionalNumber(v))}
                        />
                        <NumberInput
                          label="Guidance"
                          placeholder="Default"
                          min={0}
                          max={35}
                          step={0.5}
                          decimalScale={1}
                          disabled={provider === 'auto'}
                          value={guidance ?? ''}
                          onChange={(v) => setGuidance(optionalNumber(v))}
                        />
                        <NumberInput
                          label="Steps"
                          placeholder="Default"
                          min={1}
                          max={150}
                          disabled={provider === 'auto'}
                          value={steps ?? ''}
                          onChange={(v) => setSteps(optionalNumber(v))}
                        />
                      </Group>
                      {provider === 'auto' && (
                        <Text size="xs" c="dimmed">
                          Guidance and steps apply when you choose a provider.
                        </Text>
                      )}
                      <Select
                        label="Brand persona"
                        placeholder="None"
                        clearable
                        data={(personas.data?.personas ?? []).map((p) => ({
                          value: String(p.id),
                          label: `${p.name}${p.is_default ? ' (default)' : ''}`,
                        }))}
                        value={personaId}
                        onChange={setPersonaId}
                      />
                      <Switch
                        label="Enhance the prompt with the template and style"
                        checked={enhance}
                        onChange={(e) => setEnhance(e.currentTarget.checked)}
                      />
                    </Stack>
                  </Accordion.Panel>
                </Accordion.Item>
              </Accordion>
              <CostEstimateCard
                input={{
                  provider,
                  model: chosenModel,
                  operation: 'create',
                  num_images: variations,
                  quality,
                  ...dimensions,
                  // The run picks a model that takes the reference; the estimate must price that one.
                  with_reference: usedReference !== null,
                }}
              />
              <Button
                type="submit"
                size="md"
                leftSection={<IconSparkles size={18} />}
                loading={create.isPending || running}
                disabled={!prompt.trim() || sizeError !== null}
              >
                Generate {variations} image{variations === 1 ? '' : 's'}
              </Button>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Title order={2} size="h3" ref={resultsRef}>
              Results
            </Title>
            {running && <JobProgress job={job} doing="Creating your images" />}
            <JobOutcome run={run} noun="generation" testId="create" />
            {output && <ResultsGallery results={output.results} onReuseSeed={reuseSeed} />}
            {!job && (
              <Card withBorder py="xl">
                <Stack align="center" gap="xs">
                  <IconPhotoPlus size={40} aria-hidden />
                  <Text c="dimmed" ta="center">
                    Your images appear here. Every image is saved to your library.
                  </Text>
                </Stack>
              </Card>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
