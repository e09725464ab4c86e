from chassis.part import Part

PART = Part(
    name="example",
    package="tests.example_part",
    service="tests.example_part.service:ExampleService",
    contract="tests.example_part.contract",
    api="tests.example_part.api",
    web="tests.example_part.web",
)
