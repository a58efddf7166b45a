"""A checklist that uses every key of the format, for tests that load or mutate a complete file."""

FULL_CHECKLIST = """\
# yaml-language-server: $schema=./schema.json
id: demo-full
version: 2
category: special_equipment
title: {en: Demo, zh: 演示}
frequency: seasonal
season: {from: "12-01", to: "02-29"}
asset_type: forklift
sections:
  - id: checks
    title: Checks
    items:
      - id: has-sprinkler
        type: pass_fail
        prompt: Has sprinklers
        finding: {en: No sprinklers, zh: 无喷淋}
        guidance: {en: Look up, zh: 抬头看}
        reference: NFPA 13
        required: true
        allow_na: true
        on_fail:
          grade: major
          risk: red
          photo: required
          deadline_days: 0
          suggested_fix: Fit sprinklers
          major_rule: {criterion: GB 45067-2024, clause: "5.7.4"}
      - id: valve
        type: pass_fail
        prompt: {en: Valve open}
        required: false
        show_if: {item: has-sprinkler, in: [pass, na]}
      - id: earth
        type: reading
        prompt: Earth resistance
        unit: Ω
        pass_if: {min: 0, max: {asset: max_earth}}
      - id: heat
        type: choice
        prompt: Heat
        options:
          - {value: ok, label: OK}
          - {value: hot, label: {en: Hot, zh: 热}}
        fail_on: [hot]
        show_if: {item: earth, not_equals: "0"}
  - id: extinguishers
    title: Extinguishers
    repeat: {unit: Extinguisher, tag_prompt: {zh: 编号}, min: 2}
    items:
      - {id: serviced, type: date, prompt: Serviced, within_days: 365, on_fail: {}}
      - {id: photo, type: photo, prompt: Photo}
      - {id: note, type: text, prompt: Note, required: false, allow_na: false}
"""
